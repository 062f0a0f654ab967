import ArgumentParser
import Dispatch
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import NoProofDomain
import NoProofLibrary
import NoProofSeals
import NoProofAudit
import NoProofAuditChain
import NoProofDemoData
import NoProofLicenceStore

@main
struct GRPCBaseline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpc-baseline",
        abstract: "The gRPC baseline of the NoProof benchmark: noproof.v1.Licences/Lookup over grpc-swift-2.",
        discussion: """
        Serves the same lookup as noproofd from the same kind of data folder (licences.sqlite, seals/, \
        audit.sqlite): every proof found is sealed (Ed25519) and its audit record is durable before the \
        answer leaves. Demo credential: 'authorization: NoProof demo-taskforce:demo-secret'. Loopback only. \
        Prints "grpc-baseline listening on PORT" once it serves; stops on SIGTERM or SIGINT.
        """
    )

    @Option(help: "Address to listen on: 127.0.0.1 or ::1.")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one).")
    var port: Int = 7430

    @Option(name: .customLong("data-dir"), help: "Data folder; an empty one is seeded with the demo licences.")
    var dataDir: String

    @Option(name: .customLong("demo-licences"), help: "Demo licences generated into an empty library.")
    var demoLicences: Int = 50_000

    @Option(name: .customLong("cache-licences"), help: "Most licences kept in the in-memory index.")
    var cacheLicences: Int = 2_000_000

    @Option(name: .customLong("max-concurrent-streams"), help: "HTTP/2 streams in flight per connection.")
    var maxConcurrentStreams: Int = 1024

    func validate() throws {
        guard ["127.0.0.1", "::1"].contains(host) else {
            throw ArgumentParser.ValidationError("the baseline uses the published demo credential: loopback only (127.0.0.1 or ::1)")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .notice
            return handler
        }
        let logger = Logger(label: "grpc-baseline")
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])

        let store = try SQLiteLicenceStore(directory: directory)
        if try await store.count() == 0 {
            FileHandle.standardError.write(Data("seeding \(demoLicences) demo licences\n".utf8))
            try await seedDemo(store: store, count: demoLicences)
        } else if try await store.licenceTypes().isEmpty {
            try await store.upsertLicenceTypes(LicenceTypeCatalogue.starter)
        }
        let keyring = try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals", isDirectory: true))
        let audit = try AuditLog(directory: directory)
        let library = try await LicenceLibrary.open(store: store, cacheCapacity: cacheLicences, logger: logger)
        let cached = try await library.warmUp()

        let demo = LookupService.Unit(unitCode: "11370400MB0000001R", unitName: "枣庄市“无证明城市”建设工作专班办公室 (demo)",
                                      credentialID: "demo-taskforce")
        let service = LookupService(library: library, keyring: keyring, audit: audit,
                                    credentials: ["demo-taskforce": ("demo-secret", demo)])
        var config = HTTP2ServerTransport.Posix.Config.defaults
        config.http2.maxConcurrentStreams = maxConcurrentStreams
        let transport = HTTP2ServerTransport.Posix(
            address: host == "::1" ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port),
            transportSecurity: .plaintext,
            config: config
        )
        let server = GRPCServer(transport: transport, services: [service])

        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let signals = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        for source in signals {
            source.setEventHandler { server.beginGracefulShutdown() }
            source.resume()
        }

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            if let address = try await server.listeningAddress {
                let port = address.ipv4?.port ?? address.ipv6?.port ?? port
                FileHandle.standardOutput.write(Data("grpc-baseline listening on \(port) (\(cached) licences cached)\n".utf8))
            }
        }
        withExtendedLifetime(signals) {}
        audit.close()
        try? store.close()
    }
}
