import Catalogs
import Foundation
import Translation
import XCTest
@testable import Appliance

/// Every shipped catalog against Locales/ashlink.pot, and the template against the sources: a
/// message a language lacks, or whose placeholders differ from the English, fails here.
final class CatalogCompletenessTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let template: POFile = {
        do {
            return try POFile(parsing: String(contentsOf: root.appendingPathComponent("Locales/ashlink.pot"), encoding: .utf8))
        } catch {
            preconditionFailure("Locales/ashlink.pot: \(error)")
        }
    }()

    func testEveryShippedCatalogTranslatesEveryMessageWithTheSamePlaceholders() {
        XCTAssertEqual(SiteLanguages.catalogProblems, [], "a catalog that does not read is not shipped at all")
        for language in SiteLanguages.shipped where language.code != "en" {
            let catalog = language.catalog
            XCTAssertEqual(catalog.language, language.code, "Locales/\(language.code).po names another Language")
            var entries = Dictionary(catalog.entries.map { ("\($0.context ?? "")\u{4}\($0.id)", $0) }) { first, _ in first }
            for message in Self.template.entries {
                let name = "\(language.code): \"\(message.id)\""
                guard let entry = entries.removeValue(forKey: "\(message.context ?? "")\u{4}\(message.id)") else {
                    XCTFail("\(name) is not in Locales/\(language.code).po")
                    continue
                }
                XCTAssertEqual(entry.plural, message.plural, "\(name): msgid_plural differs from the template")
                XCTAssertEqual(entry.translations.count, message.plural == nil ? 1 : catalog.pluralRule.count, "\(name): forms")
                let placeholders = Placeholders.names(in: message.id).union(Placeholders.names(in: message.plural ?? ""))
                for (form, translation) in entry.translations.enumerated() {
                    XCTAssertFalse(translation.isEmpty, "\(name) form \(form) is empty")
                    XCTAssertEqual(Placeholders.names(in: translation), placeholders, "\(name) form \(form): the placeholders differ")
                }
            }
            for stale in entries.values {
                XCTFail("\(language.code): \"\(stale.id)\" (line \(stale.line)) is not in the template any more")
            }
        }
    }

    func testEveryTemplateSentenceIsInTheTemplateFile() {
        let ids = Set(Self.template.entries.filter { $0.context == nil && $0.plural == nil }.map(\.id))
        let sentences = Templates.all.values.flatMap(LocalizedTemplates.sentences(in:))
        XCTAssertGreaterThan(sentences.count, 80)
        for sentence in sentences {
            XCTAssertTrue(ids.contains(sentence), "not in Locales/ashlink.pot: \(sentence)")
        }
    }

    func testTheTemplateFileIsUpToDateWithTheSources() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [Self.root.appendingPathComponent("scripts/extract-messages").path, "--check"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
    }

    func testTheBinaryEmbedsEveryCatalogOfLocales() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Locales").path)
            .filter { $0.hasSuffix(".po") }.sorted()
        XCTAssertEqual(EmbeddedCatalogs.files.map(\.name), onDisk)
        for file in EmbeddedCatalogs.files {
            XCTAssertEqual(
                file.text, try String(contentsOf: Self.root.appendingPathComponent("Locales/\(file.name)"), encoding: .utf8), file.name)
        }
        XCTAssertEqual(SiteLanguages.shipped.map(\.code), ["en"] + onDisk.map { String($0.dropLast(3)) }, "\(SiteLanguages.catalogProblems)")
    }

    /// The English a page in this language must not show: each message's longer plain runs,
    /// unless the translation itself keeps them (a word that is the same in both languages).
    static func untranslatedEnglish(in catalog: Catalog) -> [String] {
        guard catalog.language != "en" else { return [] }
        var fragments: [String] = []
        for message in template.entries {
            let translations = catalog.entries.first { $0.id == message.id && $0.context == message.context }?.translations ?? []
            for english in [message.id] + (message.plural.map { [$0] } ?? []) {
                for case .text(let run) in Placeholders.segments(english) {
                    let fragment = run.trimmingCharacters(in: .whitespaces)
                    guard fragment.count >= 12, fragment.contains(" "), !translations.contains(where: { $0.contains(fragment) }) else { continue }
                    fragments.append(LocalizedTemplates.escaped(fragment))
                }
            }
        }
        return fragments
    }
}
