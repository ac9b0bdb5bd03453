/// The `Locales/*.po` files as they were when the binary was built, compiled in by the
/// EmbedCatalogs build plugin (`files` is in the source it generates).
public enum EmbeddedCatalogs {
    public struct File: Sendable {
        /// The file's name, such as `de.po`: the locale's code and the URL prefix.
        public let name: String
        public let text: String
    }
}
