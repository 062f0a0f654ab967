import NIOCore
import NoProofCodec
import NoProofProtocol

extension RPCRegistry {
    /// Wraps every method so that `observer` hears when its implementation ended: the status its
    /// answer or error maps to (as `ServerConnectionHandler.status(for:)` maps them) and the time
    /// since the implementation started. Calls refused before their implementation runs (shed,
    /// unknown method, bad header) are not seen here; the server statistics count those.
    mutating func observe(with observer: any CallObserver) {
        for (id, implementation) in implementations {
            guard let path = methods.byID[id]?.path else { continue }
            implementations[id] = Self.observed(implementation, ended: observer.recorder(forMethod: path))
        }
    }

    private static func observed(_ implementation: Implementation, ended: @escaping @Sendable (StatusCode, Duration) -> Void) -> Implementation {
        switch implementation {
        case .inline(let body):
            return .inline { request, context, allocator in
                let started = NIODeadline.now()
                do {
                    let answer = try body(request, context, allocator)
                    ended(.ok, since(started))
                    return answer
                } catch {
                    ended(statusCode(of: error), since(started))
                    throw error
                }
            }
        case .callback(let body):
            return .callback { request, context, allocator, complete in
                let started = NIODeadline.now()
                body(request, context, allocator) { result in
                    ended(statusCode(of: result), since(started))
                    complete(result)
                }
            }
        case .unary(let body):
            return .unary { request, context, allocator in
                let started = NIODeadline.now()
                do {
                    let answer = try await body(request, context, allocator)
                    ended(.ok, since(started))
                    return answer
                } catch {
                    ended(statusCode(of: error), since(started))
                    throw error
                }
            }
        case .serverStreaming(let body):
            return .serverStreaming { request, context, sink in
                let started = NIODeadline.now()
                do {
                    try await body(request, context, sink)
                    ended(.ok, since(started))
                } catch {
                    ended(statusCode(of: error), since(started))
                    throw error
                }
            }
        }
    }

    private static func since(_ started: NIODeadline) -> Duration {
        .nanoseconds((NIODeadline.now() - started).nanoseconds)
    }

    private static func statusCode(of result: Result<Answer, Error>) -> StatusCode {
        switch result {
        case .success: .ok
        case .failure(let error): statusCode(of: error)
        }
    }

    /// `ServerConnectionHandler.status(for:)` without its logging.
    private static func statusCode(of error: Error) -> StatusCode {
        switch error {
        case let error as RPCError: error.code
        case let error as any RPCErrorConvertible: error.rpcError.code
        case is CodecError: .invalidArgument
        case is CancellationError: .cancelled
        default: .internal
        }
    }
}
