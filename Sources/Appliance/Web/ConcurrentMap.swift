import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// `map`, with the elements transformed on all cores at once, in order. For start-up work
    /// that is the same for each language (reading its catalog, translating its templates): the
    /// first answer waits for all of it.
    func concurrentMap<Transformed: Sendable>(_ transform: @Sendable (Element) -> Transformed) -> [Transformed] {
        let results = Mutex([Int: Transformed]())
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let transformed = transform(self[index])
            results.withLock { $0[index] = transformed }
        }
        return results.withLock { results in indices.map { results[$0]! } }
    }
}
