import Synchronization
import NIOCore

/// Answers finished on other threads (tasks, the audit writer), waiting for the connection's
/// event loop. However many arrive together, the loop is woken once and writes them with one
/// flush, instead of one wake-up and one write system call per answer.
final class AnswerMailbox: Sendable {
    typealias Answer = (callID: UInt32, result: Result<ByteBuffer, Error>)

    private struct State {
        var answers: [Answer] = []
        var wakeScheduled = false
    }

    private let state = Mutex(State())

    /// Adds an answer; true when the caller must wake the event loop to collect.
    func post(_ answer: Answer) -> Bool {
        state.withLock { state in
            state.answers.append(answer)
            if state.wakeScheduled { return false }
            state.wakeScheduled = true
            return true
        }
    }

    /// Everything posted so far; later posts wake the loop again.
    func collect() -> [Answer] {
        state.withLock { state in
            state.wakeScheduled = false
            defer { state.answers.removeAll(keepingCapacity: true) }
            return state.answers
        }
    }
}
