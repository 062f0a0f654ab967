// libFuzzer target for the byte stream a client sends: FrameDecoder (NoProofProtocol) and the
// ServerConnectionStateMachine it feeds, including the CallHeader decoding of CALL frames.
//
// Input layout: byte 0 = how to cut the stream into reads (see `chunkSizes`), byte 1 = the
// decoder's maxPayload choice, then the bytes as they would arrive after the 8-byte preface.
//
// Properties checked (a violation traps, so libFuzzer saves the input):
//  - decoding the stream in one read and in many small reads gives the same frames and the same
//    error (the decoder must not depend on how TCP splits the bytes);
//  - each frame's payload is exactly its declared length, and writing the frames back out
//    reproduces the bytes they were decoded from;
//  - after an error nothing more is decoded; at end of input `truncation()` is non-nil exactly
//    when bytes are left over;
//  - the server state machine takes every frame (and the end of input) without trapping.
//
// Built by scripts/fuzz.sh together with Sources/NoProofProtocol as one module.
import NIOCore
import NoProofCodec

private let maxPayloadChoices = [Frame.defaultMaxPayload, 0, 8, 64, 1024]

private struct Outcome: Equatable {
    var frames: [Frame] = []
    var error: ProtocolError?
    var truncation: ProtocolError?
    var leftover = 0
}

/// Splits `count` bytes into read sizes derived from `seed` (seed 0 = one read of everything).
private func chunkSizes(_ count: Int, seed: UInt8) -> [Int] {
    guard seed != 0, count > 0 else { return [count] }
    var sizes: [Int] = []
    var state = UInt32(seed)
    var left = count
    while left > 0 {
        state = state &* 1_103_515_245 &+ 12345
        let size = min(left, 1 + Int((state >> 16) % UInt32(seed % 17 + 1)))
        sizes.append(size)
        left -= size
    }
    return sizes
}

private func decodeStream(_ bytes: UnsafeRawBufferPointer, maxPayload: Int, chunks: [Int]) -> Outcome {
    var decoder = FrameDecoder(maxPayload: maxPayload)
    var outcome = Outcome()
    var offset = 0
    reading: for size in chunks {
        decoder.append(ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size])))
        offset += size
        while true {
            do throws(ProtocolError) {
                guard let frame = try decoder.next() else { break }
                outcome.frames.append(frame)
            } catch {
                outcome.error = error
                break reading
            }
        }
        decoder.compact()
    }
    if outcome.error == nil {
        outcome.truncation = decoder.truncation()
        outcome.leftover = decoder.bufferedBytes
        precondition((outcome.truncation != nil) == (outcome.leftover > 0), "truncation() disagrees with bufferedBytes")
    }
    return outcome
}

private let methods = MethodTable([
    MethodDescriptor(
        service: "noproof.v1.Health", method: "Check", id: 1,
        requestType: "noproof.v1.HealthCheckRequest", responseType: "noproof.v1.HealthCheckResponse",
        requiresAuthentication: false),
    MethodDescriptor(
        service: "noproof.v1.Licences", method: "Lookup", id: 2,
        requestType: "noproof.v1.LookupRequest", responseType: "noproof.v1.LookupResponse"),
])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let seed = data[0]
    let maxPayload = maxPayloadChoices[Int(data[1]) % maxPayloadChoices.count]
    let stream = UnsafeRawBufferPointer(start: data + 2, count: size - 2)

    let whole = decodeStream(stream, maxPayload: maxPayload, chunks: [stream.count])
    let split = decodeStream(stream, maxPayload: maxPayload, chunks: chunkSizes(stream.count, seed: seed))
    precondition(whole == split, "decoding depends on how the bytes are split:\n whole: \(whole)\n split: \(split)")

    // The frames re-encode to exactly the bytes they came from.
    var rewritten = ByteBuffer()
    for frame in whole.frames {
        precondition(frame.payload.readableBytes <= maxPayload, "frame payload over maxPayload")
        rewritten.writeFrame(type: frame.type, flags: frame.flags, callID: frame.callID, payload: frame.payload)
    }
    precondition(
        rewritten.readableBytesView.elementsEqual(stream.prefix(rewritten.readableBytes)),
        "re-encoded frames differ from the input")
    if whole.error == nil {
        precondition(rewritten.readableBytes + whole.leftover == stream.count, "bytes lost: frames + leftover != input")
    }

    // Drive the server's state machine the way ServerConnectionHandler does.
    var machine = ServerConnectionStateMachine(
        configuration: .init(maxConcurrentCalls: 4, authenticationRequired: seed & 1 == 0), methods: methods)
    _ = machine.prefaceReceived(Preface.bytes)
    var closed = false
    for frame in whole.frames where !closed {
        switch machine.frameReceived(frame) {
        case .startCall(let call):
            if call.callID % 3 == 0 { _ = machine.callFinished(call.callID) }
        case .failConnection, .close, .goAway(_, closeNow: true), .refusePreface:
            closed = true
        default:
            break
        }
    }
    if !closed {
        // How the connection ends: the stream's own end, or one of the timers and limits of
        // ServerConnectionHandler firing first (slow-loris, unread answers, handshake).
        switch (seed >> 1) % 4 {
        case 1:
            let action = machine.frameTimedOut(after: "30s", have: whole.leftover, need: whole.leftover + 1)
            if case .failConnection(let goAway, _) = action {
                precondition(goAway.code == StatusCode.deadlineExceeded.rawValue, "frame timeout with code \(goAway.code)")
            } else {
                preconditionFailure("frame timeout on an open connection did not fail it: \(action)")
            }
        case 2:
            _ = machine.answersNotRead(pending: 9 << 20, limit: 8 << 20)
        case 3:
            // The preface was received: a late handshake timer must do nothing.
            if case .none = machine.handshakeTimedOut(after: "10s", received: Preface.length) {
            } else {
                preconditionFailure("handshake timeout after the preface acted")
            }
            fallthrough
        default:
            if let error = whole.error { _ = machine.protocolViolation(error) } else { _ = machine.inputClosed(truncated: whole.truncation) }
        }
        // Whatever happened, a closed connection ignores what comes after.
        _ = machine.frameTimedOut(after: "30s", have: 1, need: 2)
    }
    return 0
}
