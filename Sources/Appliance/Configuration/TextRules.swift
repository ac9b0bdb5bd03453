/// The character rules the operator's text files and the links share.
extension UInt8 {
    var isPortableNameByte: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
            || self == UInt8(ascii: ".") || self == UInt8(ascii: "_") || self == UInt8(ascii: "-")
    }

    /// Characters allowed in a host[:port] authority that the pages will print into links.
    var isHostByte: Bool {
        isPortableNameByte || self == UInt8(ascii: ":") || self == UInt8(ascii: "[") || self == UInt8(ascii: "]")
    }
}

extension StringProtocol {
    /// The line without the blanks around it: spaces, tabs, and the CR of a file saved with CRLF
    /// line ends. The configuration file and torrc are read with this one rule.
    func trimmingWhitespace() -> SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
