extension StringProtocol {
    /// Without the spaces and tabs at either end: what `.po` headers and `Plural-Forms` allow.
    /// On the bytes (both are ASCII): every catalog's every line is trimmed at start.
    var trimmingSpaces: String {
        let bytes = Substring(self).utf8
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(Substring(bytes[first...last]))
    }
}
