import NoProofCodec
/// The methods a server offers, addressable by path or numeric id.
package struct MethodTable: Sendable {
    package private(set) var byPath: [String: MethodDescriptor] = [:]
    package private(set) var byID: [UInt32: MethodDescriptor] = [:]

    package init(_ methods: [MethodDescriptor] = []) {
        for method in methods { add(method) }
    }

    /// Adds a method; a path or id used twice is a programming error.
    package mutating func add(_ method: MethodDescriptor) {
        precondition(method.id != 0, "method id 0 is reserved: \(method.path)")
        precondition(byPath[method.path] == nil, "method registered twice: \(method.path)")
        precondition(byID[method.id] == nil, "method id \(method.id) used twice: \(method.path)")
        byPath[method.path] = method
        byID[method.id] = method
    }

    /// The methods sorted by id.
    package var all: [MethodDescriptor] { byID.values.sorted { $0.id < $1.id } }

    /// Resolves a CALL's addressing: a non-zero id wins, else the path.
    package func resolve(path: String, id: UInt32) -> MethodDescriptor? {
        id != 0 ? byID[id] : byPath[path]
    }
}
