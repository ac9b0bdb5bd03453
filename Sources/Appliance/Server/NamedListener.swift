import Hummingbird
import ServiceLifecycle

/// One listener's application, run as a service of `serve`'s group. Its failure names the
/// setting it came from (with two listeners, "Address already in use" alone does not say which)
/// and abandons the start, so that a listener already bound and waiting never serves.
struct NamedListener<Listener: ApplicationProtocol>: Service {
    /// The configuration key: `listen` or `inbox_listen`.
    let key: String
    let address: ListenAddress
    let barrier: ListenerBarrier
    let application: Listener

    func run() async throws {
        do {
            try await application.run()
        } catch {
            let refusal = Refusal("cannot serve on \(key) \(address): \(error)")
            barrier.abandon(refusal.description)
            throw refusal
        }
    }
}
