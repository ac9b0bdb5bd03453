import PackagePlugin

/// Compiles every `Locales/*.po` into the target as string literals (`CatalogEmbedder`), so the
/// binary carries its catalogs and reads no file at run time. The parse is left to the
/// Translation module at start, where it is tested.
@main
struct EmbedCatalogs: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        // The target reaches Locales/ through a link, so SwiftPM lists its files with the
        // target's own and plans the build again when a catalog is added or removed.
        let catalogs = (target.sourceModule?.sourceFiles(withSuffix: "po").map(\.url) ?? [])
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
