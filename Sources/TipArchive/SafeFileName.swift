/// Turns the file name a tipster's browser submitted into an attachment name that is safe to
/// extract and to show: the last path component only (of `/` and `\` paths, since Windows
/// browsers may send `C:\…`), no control or bidirectional-control scalars, no leading dots (no
/// hidden files, no `..`), no leading or trailing whitespace, at most 100 UTF-8 bytes cut on a
/// scalar boundary with a short extension kept, and `attachment` when nothing is left.
///
/// 100 bytes fit ustar's name field, so `attachments/<name>` needs only its prefix field.
public enum SafeFileName {
    public static let maximumBytes = 100
    public static let fallback = "attachment"
    /// An extension longer than this (dot included) is part of the name, not worth keeping whole.
    static let longestExtension = 16

    public static func sanitize(_ submitted: String) -> String {
        let kept = Array(submitted.unicodeScalars).filter { !MemberName.isForbidden($0) }
        let last = kept.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? []
        var name = last.drop(while: { $0 == "." || $0.properties.isWhitespace })
        while name.last?.properties.isWhitespace == true { name.removeLast() }
        return name.isEmpty ? fallback : fitted(Array(name), suffix: "")
    }

    /// `name` with `suffix` before its extension, the stem shortened so the whole stays within
    /// `maximumBytes`.
    static func fitted(_ name: [Unicode.Scalar], suffix: String) -> String {
        let cut = extensionStart(name)
        let tail = Array(suffix.unicodeScalars) + name[cut...]
        var budget = maximumBytes - utf8Count(tail)
        var stem: [Unicode.Scalar] = []
        for scalar in name[..<cut] {
            budget -= UTF8.width(scalar)
            guard budget >= 0 else { break }
            stem.append(scalar)
        }
        while stem.last?.properties.isWhitespace == true { stem.removeLast() }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: stem + tail)
        return String(result)
    }

    /// Where the extension starts (its dot), or `name.count` when there is none worth keeping.
    private static func extensionStart(_ name: [Unicode.Scalar]) -> Int {
        guard let dot = name.lastIndex(of: "."), dot > 0, dot < name.count - 1,
              utf8Count(name[dot...]) <= longestExtension
        else { return name.count }
        return dot
    }

    private static func utf8Count(_ scalars: some Sequence<Unicode.Scalar>) -> Int {
        scalars.reduce(0) { $0 + UTF8.width($1) }
    }

    /// Hands out sanitized names, each once: a name already given out, or reserved, comes back as
    /// `report-2.pdf`, `report-3.pdf`… Names are compared case-insensitively (and, as Swift
    /// compares strings, by canonical equivalence), because the journalist's file system may.
    public struct Resolver: Sendable {
        private var taken: Set<String>

        /// `reserved`: names the caller writes itself beside these, e.g. `message.txt`.
        public init(reserved: Set<String> = []) {
            taken = Set(reserved.map { $0.lowercased() })
        }

        public mutating func unique(_ submitted: String) -> String {
            var candidate = SafeFileName.sanitize(submitted)
            let base = Array(candidate.unicodeScalars)
            var number = 2
            while !taken.insert(candidate.lowercased()).inserted {
                candidate = SafeFileName.fitted(base, suffix: "-\(number)")
                number += 1
            }
            return candidate
        }
    }
}
