/// The `boundary` parameter of a `multipart/form-data` content type.
enum MultipartBoundary {
    /// RFC 2046's `boundary`: 1 to 70 of its characters, not ending in a space.
    static func isValid(_ boundary: String) -> Bool {
        let allowed = Set("'()+_,-./:=? ".utf8)
        return (1...70).contains(boundary.utf8.count) && boundary.utf8.last != UInt8(ascii: " ")
            && boundary.utf8.allSatisfy { $0.isASCIIAlphanumeric || allowed.contains($0) }
    }
}

private extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
