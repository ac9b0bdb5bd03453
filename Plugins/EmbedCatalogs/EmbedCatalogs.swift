// The plugin runs in SwiftPM at build time and is never linked into Ashlink; PackagePlugin's
// paths and directory listing are Foundation's, so this one file uses it.
import Foundation
import PackagePlugin

/// Compiles every `Locales/*.po` into the target as string literals (`CatalogEmbedder`), so the
/// binary carries its catalogs and reads no file at run time. The parse is left to the
/// Translation module at start, where it is tested.
@main
struct EmbedCatalogs: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let locales = context.package.directoryURL.appending(path: "Locales")
        let catalogs = try FileManager.default.contentsOfDirectory(at: locales, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "po" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedCatalogFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(catalogs.count) catalogs from Locales",
                executable: try context.tool(named: "CatalogEmbedder").url,
                arguments: [output.path] + catalogs.map(\.path),
                inputFiles: catalogs,
                outputFiles: [output])
        ]
    }
}
