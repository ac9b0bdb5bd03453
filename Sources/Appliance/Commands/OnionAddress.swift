import ArgumentParser

/// `ashlink onion-address --hidden-service-dir DIR`: the onion address to hand out (and to put
/// into `public_url`), read from the `hostname` file tor writes into its HiddenServiceDir.
struct OnionAddress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onion-address",
        abstract: "Print the v3 onion address tor wrote into a hidden service directory; exit 1 with the reason otherwise.",
        discussion: "Run it as root (or tor's user): tor keeps the folder mode 0700, e.g. /var/lib/tor-instances/ashlink/hidden_service.")

    @Option(name: .customLong("hidden-service-dir"), help: "tor's HiddenServiceDir (the folder holding the 'hostname' file).")
    var hiddenServiceDir: String

    func run() throws {
        do {
            print(try OnionHostname.address(inHiddenServiceDir: hiddenServiceDir))
        } catch {
            throw Refusal("onion-address: \(error)")
        }
    }
}
