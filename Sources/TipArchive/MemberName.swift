/// The rules a member name obeys, shared by the writer (which never emits anything else), the
/// reader (which refuses anything else) and `SafeFileName` (which produces names that pass).
///
/// Everything works on Unicode scalars or UTF-8 bytes, never on `Character`s: a combining mark
/// after a `/` makes one `Character` that is not equal to `"/"`, yet the file system sees a slash.
enum MemberName {
    /// Scalars a name must not hold: C0, DEL and C1 controls, which terminals interpret, and the
    /// bidirectional controls that make `exe.pdf` out of `fdp.exe` on screen.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// A relative path that stays inside the folder it is extracted into: no leading `/`, no
    /// empty, `.` or `..` component, no backslash (a separator on Windows), no forbidden scalar.
    /// A directory's name may end in one `/`, as tar writes it.
    static func isSafe(_ name: String, directory: Bool = false) -> Bool {
        var bytes = Substring(name).utf8[...]
        if directory, bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { return false }
        let components = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let unsafe = components.contains { component in
            component.isEmpty || component.elementsEqual(".".utf8) || component.elementsEqual("..".utf8)
        }
        return !unsafe && !name.unicodeScalars.contains { $0 == "\\" || isForbidden($0) }
    }
}
