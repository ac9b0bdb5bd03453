import FoundationEssentials

/// The `{"error": "…"}` of an API answer, made safe to print: the server's words reach the
/// journalist's terminal, so control and format characters (escape sequences, bidi overrides)
/// are dropped and the text is cut to one short line.
enum APIErrorText {
    private struct Body: Decodable {
        let error: String
    }

    static let maximumLength = 200

    static func parse(_ json: [UInt8]) -> String? {
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(json)) else { return nil }
        let printable = String(String.UnicodeScalarView(body.error.unicodeScalars.filter(isPrintable)).prefix(maximumLength))
        return printable.isEmpty ? nil : printable
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: false
        default: true
        }
    }
}
