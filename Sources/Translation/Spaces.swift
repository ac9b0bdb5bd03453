extension StringProtocol {
    /// Without the spaces and tabs at either end: what `.po` headers and `Plural-Forms` allow.
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
