import Synchronization

/// Holds every listener at the door until all of them are bound, then runs `whenAllBound`
/// (confinement) exactly once, before any of them accepts a request.
///
/// Each Hummingbird server calls its `onServerRunning` after its bind and before it reads its
/// first connection, so waiting there keeps both listeners unserved until the process is
/// confined: binding needs the privileges that confinement takes away, and a request must never
/// be answered by a process that is not yet confined. A start abandoned instead (the other
/// listener failed to bind) admits nobody: the held listeners are given the reason, and must not
/// go on to serve, since connections may already wait in their accept queues.
final class ListenerBarrier: Sendable {
    enum Admission: Sendable, Equatable {
        /// Every listener is bound and `whenAllBound` has run.
        case serve
        /// The start was abandoned; the one-line reason.
        case refused(String)
    }

    private enum State {
        case waiting(arrived: Int, held: [Int: CheckedContinuation<Admission, Never>])
        case open
        case abandoned(String)
    }

    private let listeners: Int
    private let whenAllBound: @Sendable () -> Void
    private let state = Mutex(State.waiting(arrived: 0, held: [:]))

    init(listeners: Int, whenAllBound: @escaping @Sendable () -> Void) {
        precondition(listeners > 0, "a barrier for no listener never opens")
        self.listeners = listeners
        self.whenAllBound = whenAllBound
    }

    /// Called by each listener once it is bound; returns when all are (or the start is abandoned).
    func arrive() async -> Admission {
        let ticket = state.withLock { state -> Result<Int, Refused> in
            switch state {
            case .open: return .failure(Refused(reason: "a listener arrived after the start"))
            case .abandoned(let reason): return .failure(Refused(reason: reason))
            case .waiting(let arrived, let held):
                state = .waiting(arrived: arrived + 1, held: held)
                return .success(arrived + 1)
            }
        }
        switch ticket {
        case .failure(let refused): return .refused(refused.reason)
        case .success(let ticket) where ticket == listeners: return open()
        case .success(let ticket): return await hold(ticket)
        }
    }

    /// A listener failed to start: nobody will be admitted, and those waiting are told why.
    func abandon(_ reason: String) {
        let held = state.withLock { state -> [CheckedContinuation<Admission, Never>] in
            guard case .waiting(_, let held) = state else { return [] }
            state = .abandoned(reason)
            return Array(held.values)
        }
        for continuation in held { continuation.resume(returning: .refused(reason)) }
    }

    private struct Refused: Error {
        let reason: String
    }

    private func hold(_ ticket: Int) async -> Admission {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let answer = state.withLock { state -> Admission? in
                    switch state {
                    case .open: return .serve
                    case .abandoned(let reason): return .refused(reason)
                    case .waiting(let arrived, var held):
                        held[ticket] = continuation
                        state = .waiting(arrived: arrived, held: held)
                        return nil
                    }
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            abandon("the start was cancelled before every listener was bound")
        }
    }

    /// The last listener is bound: run `whenAllBound` in its task, then admit the others. Nobody
    /// is admitted while it runs, since the state stays `waiting` until it returns.
    private func open() -> Admission {
        whenAllBound()
        let outcome = state.withLock { state -> (Admission, [CheckedContinuation<Admission, Never>]) in
            switch state {
            case .waiting(_, let held):
                state = .open
                return (.serve, Array(held.values))
            case .abandoned(let reason): return (.refused(reason), [])
            case .open: return (.serve, [])
            }
        }
        for continuation in outcome.1 { continuation.resume(returning: .serve) }
        return outcome.0
    }
}
