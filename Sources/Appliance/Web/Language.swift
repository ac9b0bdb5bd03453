import Translation

/// One language the pages can be read in: its code (the URL prefix and `<html lang>`), its name
/// in itself for the language menu, its writing direction, and its catalog. All three come from
/// the catalog, so a new locale is a new `.po` file and nothing else.
struct Language: Sendable {
    let code: String
    let name: String
    let direction: Direction
    let catalog: Catalog

    enum Direction: String, Sendable {
        case leftToRight = "ltr"
        case rightToLeft = "rtl"
    }

    // Translators: The name of your language, written in your language (Deutsch, Español, فارسی).
    static let nameMessage = Message("English", context: "language name")
    // Translators: "rtl" if your language is written right to left (Persian, Arabic, Hebrew), else "ltr".
    static let directionMessage = Message("ltr", context: "text direction")

    /// The language the sources are written in, whose catalog is empty.
    static let english = Language(code: "en", name: "English", direction: .leftToRight, catalog: Catalog.source)

    /// A shipped catalog as a language, refused when it names no language or direction.
    init(code: String, catalog: Catalog) throws(LanguageError) {
        guard let name = catalog.translation(of: Self.nameMessage), !name.isEmpty else { throw .noName(code) }
        guard let direction = catalog.translation(of: Self.directionMessage).flatMap(Direction.init(rawValue:)) else {
            throw .noDirection(code)
        }
        self.init(code: code, name: name, direction: direction, catalog: catalog)
    }

    private init(code: String, name: String, direction: Direction, catalog: Catalog) {
        self.code = code
        self.name = name
        self.direction = direction
        self.catalog = catalog
    }
}

enum LanguageError: Error, Equatable, CustomStringConvertible {
    case noName(String)
    case noDirection(String)

    var description: String {
        switch self {
        case .noName(let code): "Locales/\(code).po does not translate the language name (msgctxt \"language name\")"
        case .noDirection(let code): "Locales/\(code).po does not give the text direction as \"ltr\" or \"rtl\" (msgctxt \"text direction\")"
        }
    }
}
