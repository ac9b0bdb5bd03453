/// How long a tip's upload may take, apart from the short header timeout: a tip of 100 MiB
/// through Tor may take many minutes, so the limits are generous, but an upload cannot hold its
/// connection, its staging and its quota room for ever by trickling.
///
/// Checked at every piece of the body that arrives: the whole upload within `timeoutSeconds`,
/// and after the first `graceSeconds` at least `minBytesPerSecond` on average. A client that
/// sends nothing at all is closed by the listener's idle timeout; either way the upload is
/// abandoned and everything it held freed.
struct UploadPace: Sendable, Equatable {
    /// `inbox_upload_timeout_seconds`.
    var timeoutSeconds = 7200
    /// `inbox_min_upload_bytes_per_second`.
    var minBytesPerSecond = 2048
    /// A circuit's first seconds may be slow; the rate counts only after them.
    var graceSeconds = 60

    /// Throws when an upload that received `received` bytes in `elapsed` is too slow.
    func check(received: Int, elapsed: Duration) throws(TipFormError) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard seconds <= Double(timeoutSeconds) else { throw .uploadTooSlow(self) }
        guard seconds <= Double(graceSeconds) || Double(received) >= Double(minBytesPerSecond) * seconds else {
            throw .uploadTooSlow(self)
        }
    }
}
