/* zlib, for the tests only: some of the age test vectors are stored zlib-compressed. */
#include <zlib.h>
