import CNoProofProtos
import NoProofMessages
import Testing
@testable import NoProofCodec

@Suite("The codec's bump arena (CArena, noproof_bump)")
struct CArenaTests {
    /// A message far bigger than the thread's 8 KiB block, with one string bigger than a whole
    /// overflow chunk (8 KiB): every byte must come back.
    @Test func messagesBeyondTheStackBlockAndTheChunkSizeRoundTrip() throws {
        let fields = (0..<300).map { APILicenceField(key: "key-\($0)", value: String(repeating: "枣", count: $0 % 40)) }
        let huge = String(repeating: "x", count: 20_000)
        let licence = APILicence(licenceID: huge, typeCode: "JMSFZ", holderName: "王秀英", fields: fields)
        let bytes = ProtoCodec.encode(licence)
        #expect(bytes.count > 20_000)
        #expect(try ProtoCodec.decode(APILicence.self, from: bytes) == licence)
    }

    /// Encoding or decoding inside another encode's packing callback takes a second arena
    /// (the thread's own is in use) and leaves the outer message intact.
    @Test func nestedUseTakesASecondArena() throws {
        let outer = APILookupRequest(holderID: "370404199306107807", typeCode: "JMSFZ", purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: "C-1"))
        let inner = APIPurpose(itemCode: "INNER", caseReference: String(repeating: "r", count: 3000))
        let packed: [UInt8] = ProtoCodec.withPacker(outer) { bound, pack in
            // Mid-encode: the outer C message lives in the thread's arena right now.
            let innerBytes = ProtoCodec.encode(inner)
            #expect((try? ProtoCodec.decode(APIPurpose.self, from: innerBytes)) == inner)
            return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in count = pack(buffer.baseAddress!) }
        }
        #expect(try ProtoCodec.decode(APILookupRequest.self, from: packed) == outer)
        // And the thread's arena is free again afterwards.
        #expect(try ProtoCodec.decode(APILookupRequest.self, from: ProtoCodec.encode(outer)) == outer)
    }

    /// A refused decode hands its arena back too: the next decode on this thread works.
    @Test func aRefusedDecodeReleasesItsArena() throws {
        for _ in 0..<3 {
            #expect(throws: CodecError.self) { try ProtoCodec.decode(APILookupRequest.self, from: [0x0A, 0x05, 0x41]) }
        }
        let request = APILookupRequest(holderID: "370404199306107807", typeCode: "JMSFZ")
        #expect(try ProtoCodec.decode(APILookupRequest.self, from: ProtoCodec.encode(request)) == request)
    }

    /// The C allocator: 16-byte aligned, contiguous bumps inside the block, chunks beyond it.
    @Test func bumpAllocationsAreAlignedAndDistinct() {
        let bump = noproof_bump_acquire()!
        defer { noproof_bump_return(bump) }
        var seen: [(UnsafeMutableRawPointer, Int)] = []
        for size in [1, 7, 16, 33, 500, 1500, 9000, 3] {
            let p = noproof_bump_alloc(bump, size)!
            #expect(UInt(bitPattern: p) % 16 == 0)
            // Fill the whole allocation: an overlapping later one would change these bytes.
            p.initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: size), count: size)
            seen.append((p, size))
        }
        for (p, size) in seen {
            let bytes = UnsafeRawBufferPointer(start: p, count: size)
            #expect(bytes.allSatisfy { $0 == UInt8(truncatingIfNeeded: size) }, "allocation of \(size) bytes was overwritten")
        }
    }
}
