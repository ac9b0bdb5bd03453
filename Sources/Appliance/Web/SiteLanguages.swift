import Catalogs
import SmallFiles
import Translation

/// The languages this installation offers (`languages`) and the one the un-prefixed addresses
/// serve (`default_language`). `/` and every page's plain address are in the default language;
/// `/{code}/…` serves each offered language, the default's included, so a link into any language
/// keeps working if the default changes.
struct SiteLanguages: Sendable {
    /// In the configured order, which is the language menu's.
    let offered: [Language]
    let defaultLanguage: Language

    /// What `languages` and `default_language` say, before they are checked.
    struct Choice: Sendable, Equatable {
        /// Nil: every shipped language, English first, then the catalogs' order.
        var codes: [String]?
        var defaultCode = "en"
    }

    /// English and every catalog the binary was built with that reads as one.
    static var shipped: [Language] { built.languages }

    /// Why a built-in catalog does not read, one line each: a build defect the unit tests catch,
    /// which also stops `serve` and `check-config` with the reason.
    static var catalogProblems: [String] { built.problems }

    private static let built: (languages: [Language], problems: [String]) = {
        var languages = [Language.english]
        var problems: [String] = []
        let read = EmbeddedCatalogs.files.filter { $0.name.hasSuffix(".po") }.concurrentMap { file -> Result<Language, CatalogProblem> in
            do {
                return .success(try Language(code: String(file.name.dropLast(3)), catalog: try Catalog(parsing: file.text)))
            } catch {
                return .failure(CatalogProblem(text: "Locales/\(file.name): \(error)"))
            }
        }
        for result in read {
            switch result {
            case .success(let language): languages.append(language)
            case .failure(let problem): problems.append(problem.text)
            }
        }
        return (languages, problems)
    }()

    private struct CatalogProblem: Error {
        let text: String
    }

    init(_ choice: Choice) throws(ConfigurationError) {
        if let problem = Self.catalogProblems.first {
            throw .inconsistent("this build's catalog does not read: \(problem)")
        }
        let shippedCodes = Self.shipped.map(\.code)
        let codes = choice.codes ?? shippedCodes
        var offered: [Language] = []
        for code in codes {
            guard let language = Self.shipped.first(where: { $0.code == code }) else {
                throw .invalid("languages", codes.joined(separator: ", "),
                               "\(code) is not a language of this build (it has \(shippedCodes.joined(separator: ", ")))")
            }
            guard !offered.contains(where: { $0.code == code }) else {
                throw .invalid("languages", codes.joined(separator: ", "), "\(code) is named twice")
            }
            offered.append(language)
        }
        guard let defaultLanguage = offered.first(where: { $0.code == choice.defaultCode }) else {
            throw .inconsistent("default_language = \(choice.defaultCode) must be one of languages (\(codes.joined(separator: ", ")))")
        }
        self.offered = offered
        self.defaultLanguage = defaultLanguage
    }

    /// The language of a request: its prefix's, or the default's when it has none.
    func language(_ code: String?) -> Language {
        code.flatMap { code in offered.first { $0.code == code } } ?? defaultLanguage
    }

    /// Where a page (its address without a prefix, such as `/tip`) is in a language: the plain
    /// address for the default, `/{code}/…` for the others.
    func path(_ path: String, in language: Language) -> String {
        language.code == defaultLanguage.code ? path : "/\(language.code)\(path)"
    }

    /// `languages = en, de, fa`: codes separated by commas.
    static func codes(parsing value: String) throws(ConfigurationError) -> [String] {
        let codes = value.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingWhitespace()) }
        guard !codes.isEmpty, codes.allSatisfy({ !$0.isEmpty }) else {
            throw .invalid("languages", value, "must be language codes separated by commas, e.g. en, de, fa")
        }
        return codes
    }
}
