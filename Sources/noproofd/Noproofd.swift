import ArgumentParser
import Foundation
import Logging
import NIOCore
import NoProofProtocol
import NoProofDomain
import NoProofLibrary
import NoProofSeals
import NoProofServer
import NoProofServices
import NoProofSQLite
import NoProofAudit
import NoProofUnits
import ServiceLifecycle

@main
struct Noproofd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "noproofd",
        abstract: "The NoProof server: proofs for departmental systems over the NoProof RPC protocol.",
        discussion: """
            Stops gracefully on SIGTERM or SIGINT: new calls are refused with GOAWAY, calls in progress \
            finish (up to --shutdown-grace seconds), then the process exits.
            """,
        subcommands: [ImportCommand.self, AuditVerifyCommand.self, BackupCommand.self, MigrateCommand.self]
    )

    @Option(help: "JSON config file; flags given here override it.")
    var config: String?

    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "TCP port (default 7420; 0 picks a free one).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Data folder (default ./data).")
    var dataDir: String?

    @Option(
        help: ArgumentHelp(
            "Where the records are kept: sqlite (files in --data-dir, the default) or a PostgreSQL URL postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require][&schema=NAME] (licences, units, verification and oversight records; the audit trail and seal keys stay in --data-dir; several noproofd may serve one database: docs/DEPLOYMENT.md).",
            valueName: "sqlite|URL"))
    var database: String?

    @Flag(
        help:
            "Demo mode: demo data and the published demo credentials ('demo-taskforce:demo-secret', staff 'demo-taskforce/supervisor-0001:demo-secret', ...). Loopback only."
    )
    var demo = false

    @Option(name: .customLong("demo-licences"), help: "Demo licences generated into an empty library with --demo (default 50000).")
    var demoLicences: Int?

    @Option(name: .customLong("cache-licences"), help: "Most licences kept in the in-memory index (default 2000000).")
    var cacheLicences: Int?

    @Option(
        name: .customLong("audit-wal-restart-pages"),
        help: ArgumentHelp(
            "WAL pages of the SQLite audit trail from which its writer finishes a background checkpoint so the WAL starts over (default 4096; 0: never).",
            visibility: .hidden))
    var auditWALRestartPages: Int?

    @Flag(name: .customLong("no-rate-limits"), help: "Turn off the per-case and per-staff lookup limits (for load tests).")
    var noRateLimits = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "text or json (one JSON object per line, for log shippers; default text).")
    var logFormat: String?

    @Option(name: .customLong("metrics-port"), help: "Serve Prometheus metrics at http://HOST:PORT/metrics (docs/METRICS.md; default 0: off).")
    var metricsPort: Int?

    @Option(name: .customLong("metrics-host"), help: "Address of the metrics endpoint (default 127.0.0.1; another address only when named here).")
    var metricsHost: String?

    @Option(name: .customLong("web-port"), help: "Serve the read-only supervision and queue web page at http://HOST:PORT/ (docs/WEB.md; default 0: off).")
    var webPort: Int?

    @Option(name: .customLong("web-host"), help: "Address of the web page (default 127.0.0.1; another address only when named here, and it is plain HTTP).")
    var webHost: String?

    @Option(name: .customLong("max-frame-size"), help: "Largest frame payload in bytes (default 4194304).")
    var maxFrameSize: Int?

    @Option(name: .customLong("idle-timeout"), help: "Seconds before an idle connection is closed (default 300).")
    var idleTimeout: Int?

    @Option(name: .customLong("shutdown-grace"), help: "Seconds calls may run after shutdown begins (default 10).")
    var shutdownGrace: Int?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain of the server: serve TLS on --tls-port.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert (must be owner-only, chmod 600).")
    var tlsKey: String?

    @Option(
        name: .customLong("tls-client-ca"), help: "PEM CA certificate for mutual TLS: clients must present a certificate it signed, registered on a credential."
    )
    var tlsClientCA: String?

    @Option(name: .customLong("tls-port"), help: "TCP port of the TLS listener (default 7443; 0 picks a free one).")
    var tlsPort: Int?

    @Flag(name: .customLong("tls-only"), help: "Serve TLS only: no plain TCP listener on --port.")
    var tlsOnly = false

    @Option(
        name: .customLong("new-audit-epoch"),
        help: ArgumentHelp(
            "Start a new audit chain when the trail is missing, empty or shorter than its recorded head; REASON is recorded as its first record (Audit.NewEpoch).",
            valueName: "REASON"))
    var newAuditEpoch: String?

    @Option(
        name: .customLong("audit-witness"),
        help: ArgumentHelp(
            "An append-only file outside the data folder (another volume, a mount of another machine) that keeps the audit log's signed tree heads; repeatable. The trail must match the newest head each holds at start (docs/AUDIT.md).",
            valueName: "FILE"))
    var auditWitness: [String] = []

    @Option(
        name: .customLong("rotate-seal-key"),
        help: ArgumentHelp(
            "Replace the data-sharing or verification seal key before serving (audited as SealKey.Rotate); the old public key stays published so earlier proofs still verify. Needs --rotation-reason.",
            valueName: "KIND"))
    var rotateSealKey: String?

    @Option(name: .customLong("rotation-reason"), help: ArgumentHelp("Why the seal key is rotated (recorded in the audit trail).", valueName: "REASON"))
    var rotationReason: String?

    @OptionGroup(title: "Overload and hostile peers (docs/RELIABILITY.md)")
    var reliability: ReliabilityOptions

    func run() async throws {
        // Every file noproofd creates is owner-only (the databases, their -wal and -shm, the lock,
        // demo-holders.txt, audit-head), whatever the folder's mode.
        umask(0o077)
        let file = try config.map(DaemonConfiguration.load) ?? DaemonConfiguration()
        let levelName = logLevel ?? file.logLevel ?? "info"
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ValidationError("unknown log level '\(levelName)'; use trace, debug, info, notice, warning, error or critical")
        }
        let logFormat = self.logFormat ?? file.logFormat ?? "text"
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("unknown log format '\(logFormat)'; use text or json") }
        // Resident IDs and names are masked in every log line (data minimisation).
        LoggingSystem.bootstrap { label in DaemonMetrics.logHandler(label: label, level: level, format: logFormat) }
        let logger = Logger(label: "noproofd")

        var server = ServerConfiguration()
        server.host = host ?? file.host ?? server.host
        server.port = port ?? file.port ?? server.port
        if let size = maxFrameSize ?? file.maxFrameSize {
            guard size >= 1024 else { throw ValidationError("--max-frame-size must be at least 1024 bytes") }
            server.maxFramePayload = size
        }
        if let calls = file.maxConcurrentCallsPerConnection {
            guard calls >= 1 else { throw ValidationError("maxConcurrentCallsPerConnection must be at least 1") }
            server.maxConcurrentCallsPerConnection = calls
        }
        if let seconds = idleTimeout ?? file.idleTimeoutSeconds {
            guard seconds >= 1 else { throw ValidationError("--idle-timeout must be at least 1 second") }
            server.idleTimeout = .seconds(Int64(seconds))
        }
        if let seconds = shutdownGrace ?? file.shutdownGraceSeconds {
            server.shutdownGracePeriod = .seconds(Int64(max(0, seconds)))
        }
        try reliability.apply(to: &server, file: file)
        if demo, !["127.0.0.1", "::1", "localhost"].contains(server.host) {
            throw ValidationError("--demo uses a published credential and listens on loopback only; drop --host or --demo")
        }

        // TLS: a second listener on --tls-port; plain TCP stays on --port unless --tls-only.
        let tlsCertFile = tlsCert ?? file.tlsCert, tlsKeyFile = tlsKey ?? file.tlsKey, clientCAFile = tlsClientCA ?? file.tlsClientCA
        var tlsServer: ServerConfiguration?
        if tlsCertFile != nil || tlsKeyFile != nil || clientCAFile != nil {
            guard let tlsCertFile, let tlsKeyFile else {
                throw ValidationError("TLS needs both --tls-cert FILE and --tls-key FILE (--tls-client-ca adds mutual TLS)")
            }
            var configuration = server
            do {
                configuration.tls = try ServerTLSConfiguration.load(certificateFile: tlsCertFile, keyFile: tlsKeyFile, clientCAFile: clientCAFile)
            } catch {
                throw ConfigurationError("TLS: \(error)")
            }
            configuration.port = tlsPort ?? file.tlsPort ?? 7443
            tlsServer = configuration
        } else if tlsOnly || file.tlsOnly == true {
            throw ValidationError("--tls-only needs --tls-cert and --tls-key")
        }
        let plainListener = !(tlsOnly || file.tlsOnly == true)
        if tlsServer != nil, plainListener, !["127.0.0.1", "::1", "localhost"].contains(server.host) {
            logger.warning(
                "plain TCP is also served on a non-loopback address; add --tls-only to serve TLS only",
                metadata: [
                    "address": "\(server.host):\(server.port)"
                ])
        }

        let dataDirectory = URL(fileURLWithPath: dataDir ?? file.dataDir ?? "data", isDirectory: true)
        do {
            try FileManager.default.createDirectory(
                at: dataDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigurationError("cannot create the data folder \(dataDirectory.path): \(error.localizedDescription)")
        }
        // Files left readable by others (a folder that pre-existed with 0755, files copied in) are fixed, loudly.
        do {
            let fixed = try DataFolderPermissions.secure(dataDirectory)
            if !fixed.isEmpty {
                logger.warning(
                    "data folder files were readable by other users; made owner-only",
                    metadata: [
                        "folder": "\(dataDirectory.path)", "fixed": "\(fixed.joined(separator: ", "))",
                    ])
            }
        } catch {
            throw ConfigurationError("\(error)")
        }

        // Witnesses of the audit log's signed heads, outside the data folder.
        let witnessPaths = auditWitness.isEmpty ? (file.auditWitnesses ?? []) : auditWitness
        let dataPath = dataDirectory.standardizedFileURL.resolvingSymlinksInPath().path
        for path in witnessPaths {
            let resolved = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.resolvingSymlinksInPath().path
            if resolved == dataPath || resolved.hasPrefix(dataPath + "/") {
                throw ValidationError(
                    "--audit-witness \(path) is inside the data folder \(dataDirectory.path): a witness must be where "
                        + "someone who can rewrite the data folder cannot (another volume or machine)")
            }
        }
        if witnessPaths.isEmpty {
            logger.warning(
                "no audit witness: the audit log's signed heads are kept only in the data folder, so a rewrite of the whole folder is not detectable; add --audit-witness FILE on another volume (docs/AUDIT.md)"
            )
        }
        var rotation: (kind: SealKind, reason: String)?
        if let rotateSealKey {
            guard let kind = SealKind(rawValue: rotateSealKey) else {
                throw ValidationError("--rotate-seal-key takes \(SealKind.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            guard let reason = rotationReason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--rotate-seal-key needs --rotation-reason \"REASON\" (recorded in the audit trail)")
            }
            rotation = (kind, reason)
        } else if rotationReason != nil {
            throw ValidationError("--rotation-reason goes with --rotate-seal-key KIND")
        }
        let backend = try DaemonDatabase(parsing: database ?? file.database)
        let library = try await DaemonStorage.open(
            dataDirectory: dataDirectory, database: backend, demoLicences: demo ? (demoLicences ?? file.demoLicences ?? 50_000) : nil,
            cacheLicences: cacheLicences ?? file.cacheLicences ?? 2_000_000,
            auditWALRestartPages: auditWALRestartPages ?? WALCheckpointer.defaultRestartPages, newAuditEpoch: newAuditEpoch,
            witnesses: witnessPaths.map { FileAuditWitness(path: $0) }, rotateSealKey: rotation, logger: logger
        )
        var registry = RPCRegistry()
        let statistics = ServerStatistics()
        let standard = RateLimits.standard
        let limits = RateLimits(
            maxLookupsPerCase: file.maxLookupsPerCase ?? standard.maxLookupsPerCase,
            maxLookupsPerStaffPerMinute: file.maxLookupsPerStaffPerMinute ?? standard.maxLookupsPerStaffPerMinute,
            maxLookupsPerStaffPerDay: file.maxLookupsPerStaffPerDay ?? standard.maxLookupsPerStaffPerDay,
            maxNewCasesPerStaffPerDay: file.maxNewCasesPerStaffPerDay ?? standard.maxNewCasesPerStaffPerDay,
            maxLookupsPerCredentialPerMinute: file.maxLookupsPerCredentialPerMinute ?? standard.maxLookupsPerCredentialPerMinute,
            maxLookupsPerCredentialPerDay: file.maxLookupsPerCredentialPerDay ?? standard.maxLookupsPerCredentialPerDay,
            maxLookupsPerUnitPerMinute: file.maxLookupsPerUnitPerMinute ?? standard.maxLookupsPerUnitPerMinute,
            maxLookupsPerUnitPerDay: file.maxLookupsPerUnitPerDay ?? standard.maxLookupsPerUnitPerDay
        )
        if let invalid = limits.firstInvalid {
            throw ValidationError("\(invalid) must be at least 1 (use --no-rate-limits to turn the limits off)")
        }
        // Credentials named at start (the config file's, the demo's) become stored credentials.
        do {
            let provisioned = try await CredentialProvisioning.provision(
                file.credentials ?? [], configPath: config, into: library.units,
                now: Date(), logger: logger)
            if !provisioned.added.isEmpty || !provisioned.kept.isEmpty {
                logger.info("config file credentials", metadata: ["stored_now": "\(provisioned.added)", "already_stored": "\(provisioned.kept)"])
            }
            if demo {
                let added = try await DemoSetup.provisionCredentials(into: library.units, now: Date())
                if added > 0 { logger.info("demo credentials stored", metadata: ["count": "\(added)"]) }
            }
        } catch {
            await library.close(logger: logger)
            throw error
        }
        // The schema is seeded: another instance starting on it may go on (PostgreSQL's start-up lock).
        await library.stores.startupDone()
        var harvest = HarvestDetector.Rules()
        if let seconds = file.harvestWindowSeconds { harvest.windowSeconds = Double(seconds) }
        if let count = file.harvestNewCases { harvest.newCases = count }
        if let count = file.harvestDistinctHolders { harvest.distinctHolders = count }
        if let count = file.harvestMisses { harvest.misses = count }
        guard harvest.windowSeconds >= 1, harvest.newCases >= 1, harvest.distinctHolders >= 1, harvest.misses >= 1 else {
            throw ValidationError("harvestWindowSeconds, harvestNewCases, harvestDistinctHolders and harvestMisses must be at least 1")
        }
        let clusterSync = Duration.milliseconds(file.clusterSyncMillis ?? 1_000)
        guard (file.clusterSyncMillis ?? 1_000) >= 10 else { throw ValidationError("clusterSyncMillis must be at least 10") }
        // On PostgreSQL the limits count every instance's lookups (PostgresRateCounts, every clusterSync).
        let gate = AccessGate(
            store: library.units, limits: noRateLimits ? nil : limits, harvestRules: harvest, audit: library.audit, logger: logger,
            sharedCounts: library.stores.cluster?.rateCounts)
        try await gate.refresh()
        LicenceService(
            library: library.licences, keyring: library.keyring, audit: library.audit, gate: gate,
            overload: try reliability.overloadPolicy(file: file), statistics: statistics
        ).register(in: &registry)
        let sessions = LiveSessions()
        UnitService(store: library.units, gate: gate, audit: library.audit, logger: logger, sessions: sessions).register(in: &registry)
        // Supervision (Art. 16, 20): the report and "who looked at my data", with the oversight figures
        // (commitments, ledger, mismatches, complaints) counted from the oversight records.
        let thresholds: SupervisionThresholds
        do {
            thresholds = try SupervisionThresholds(
                overrides: file.flagThresholds ?? [:], staleListDays: file.staleListDays,
                systemUnusedMinimumDays: file.systemUnusedMinimumDays)
        } catch {
            throw ValidationError("\(error)")
        }
        SupervisionService(
            audit: library.audit, units: library.units,
            oversight: OversightStoreFigures(store: library.oversight, units: library.units),
            typeNames: Dictionary(library.licences.licenceTypes.map { ($0.code, $0.nameZh) }, uniquingKeysWith: { a, _ in a }),
            thresholds: thresholds, exemptions: library.oversight,
            issuers: Set(library.licences.licenceTypes.map(\.issuerCode.value)), logger: logger
        ).register(in: &registry)
        // Department verification: deadlines re-armed from the store, checked once a second; the
        // Art. 10 limits run in office time on the published working-day calendar (docs/CALENDAR.md).
        let hours: OfficeHours
        do {
            hours = try OfficeHours.parse(file.officeHours ?? OfficeHours.standard.description, field: "officeHours")
        } catch {
            throw ValidationError("\(error)")
        }
        library.units.calendarBook.replace(hours: hours)
        let calendar = library.units.calendarBook.calendar
        logger.info(
            "working-day calendar",
            metadata: [
                "years": "\((calendar.publishedYears ?? []).sorted().map(String.init).joined(separator: ","))",
                "provisional": "\(calendar.provisionalYears.sorted().map(String.init).joined(separator: ","))",
                "office_hours": "\(hours)",
            ])
        let notConnected = Set(library.licences.licenceTypes.filter { !$0.connected }.map(\.code))
        let verification = VerificationService(
            store: library.verification, units: library.units, keyring: library.keyring,
            audit: library.audit, databaseBacked: { notConnected.contains($0) },
            calendar: library.units.calendarBook, logger: logger)
        let armed = try await verification.start()
        logger.info("verification deadlines re-armed", metadata: ["pending": "\(armed)"])
        verification.register(in: &registry)
        var application = NoproofdApplication(listeners: [], logger: logger)
        if let lease = library.stores.schedulerLease(logger: logger) {
            // A shared store: the deadlines are applied by one instance of the cluster at a time,
            // the lease's holder (PostgresLease; the others take over within its retry when the
            // holder dies). It re-reads the pending requests when it takes the lease and every
            // 30 s (requests filed through the other instances); each transition is still judged
            // on the locked row, so it is reported once even if two schedulers ever overlapped.
            application.runInBackground {
                await lease.run(body: { [scheduler = verification.scheduler] in
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await scheduler.run() }
                        group.addTask {
                            repeat {
                                do {
                                    let armed = try await scheduler.rearm()
                                    logger.debug("verification deadlines re-read from the shared store", metadata: ["pending": "\(armed)"])
                                } catch  where !Task.isCancelled {
                                    logger.warning("verification deadlines not re-read from the shared store", metadata: ["error": "\(error)"])
                                } catch {
                                    break
                                }
                                do { try await Task.sleep(for: .seconds(30)) } catch { break }
                            } while !Task.isCancelled
                        }
                    }
                })
            }
        } else {
            application.runInBackground { await verification.scheduler.run() }
        }
        OversightService(
            store: library.oversight, units: library.units, audit: library.audit, verifications: library.verification,
            rule: library.riskRule, library: library.licences, keyring: library.keyring, logger: logger
        ).register(in: &registry)
        StatsService(statistics: statistics, library: library.licences, audit: library.audit).register(in: &registry)
        AuditService(audit: library.audit, heads: library.heads, logger: logger).register(in: &registry)
        let authenticator = UnitCredentialAuthenticator(
            store: library.units, acceptsDemoCredentials: demo,
            verifications: try reliability.credentialChecks(file: file))
        // One set of connection caps, memory quota and authentication throttle for both listeners.
        let guards = ConnectionGuards(configuration: server)
        logger.info(
            "connection limits",
            metadata: [
                "max_connections": "\(server.maxConnections.map(String.init) ?? "none")",
                "max_connections_per_source": "\(server.maxConnectionsPerSource.map(String.init) ?? "none")",
                "file_descriptor_limit": "\(FileDescriptorBudget.softLimit().map(String.init) ?? "unlimited")",
            ])
        // Prometheus metrics on their own (loopback by default) port: docs/METRICS.md.
        let metrics = try DaemonMetrics(
            port: metricsPort ?? file.metricsPort, host: metricsHost ?? file.metricsHost,
            statistics: statistics, storage: library, gate: gate, logger: logger)
        server.callObserver = metrics?.calls
        tlsServer?.callObserver = metrics?.calls
        // The supervision and queue web page on its own (loopback by default) port: docs/WEB.md.
        let web = try DaemonWeb(port: webPort ?? file.webPort, host: webHost ?? file.webHost, rpc: server, plainListener: plainListener, logger: logger)
        var listeners: [NoProofServer] = []
        if plainListener {
            listeners.append(
                NoProofServer(
                    configuration: server, registry: registry, authenticator: authenticator, logger: logger,
                    statistics: statistics, sessions: sessions, guards: guards))
        }
        if let tlsServer {
            listeners.append(
                NoProofServer(
                    configuration: tlsServer, registry: registry, authenticator: authenticator, logger: logger,
                    statistics: statistics, sessions: sessions, guards: guards))
        }
        if demo {
            logger.info(
                "demo mode: credentials ID:demo-secret (systems; staff sign in as demo-UNIT/STAFF-ID)",
                metadata: [
                    "ids": "\(DemoSetup.systemCredentialIDs.joined(separator: ","))", "data_dir": "\(dataDirectory.path)",
                ])
            let examples = DemoSetup.examples(licences: demoLicences ?? file.demoLicences ?? 50_000)
            let listing = dataDirectory.appendingPathComponent("demo-holders.txt")
            // Durably (folder fsynced too), like every file noproofd keeps; the crash test checks it after each power cut.
            try? DurableFile.write(
                Data(
                    examples.map { "\($0.holder.key) \($0.guaranteedTypeCode) \($0.name)" }.joined(separator: "\n")
                        .appending("\n").utf8), to: listing)
            logger.info("demo holders to try (holder id, licence type, name)", metadata: ["file": "\(listing.path)"])
        }
        // Approved lists take effect at their time: publish what is due and reload once a minute.
        application.runInBackground {
            while !Task.isCancelled {
                do { try await Task.sleep(for: .seconds(60)) } catch { break }  // cancelled: the server is stopping
                do {
                    try await gate.refresh()
                } catch  where !Task.isCancelled {
                    logger.warning("item lists not refreshed", metadata: ["error": "\(error)"])
                } catch {
                    break
                }
            }
        }
        // On PostgreSQL: rate counts exchanged with the other instances, and sessions ended here for
        // credentials revoked, staff or units deactivated through any instance, every clusterSync.
        if let cluster = library.stores.cluster {
            if !noRateLimits {
                application.runInBackground { await cluster.rateCounts.run(every: clusterSync) }
            }
            let watch = ClusterSessionWatch(feed: cluster.sessionFeed, store: library.units, sessions: sessions, gate: gate, logger: logger)
            application.runInBackground { await watch.run(every: clusterSync) }
        }
        // On PostgreSQL: calendar years published through another instance are in force here within 30 s.
        if let refresh = library.stores.calendarRefresh(logger: logger) {
            application.runInBackground(refresh)
        }
        // The chain's head outside the trail, checked at the next start (AuditStartCheck).
        let (trail, dataFolder) = (library.audit, library.dataDirectory)
        application.runInBackground {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(10))
                if Task.isCancelled { break }
                await DaemonStorage.recordHead(trail, directory: dataFolder, logger: logger)
            }
        }
        // Signed tree heads: every second while records arrive, every minute when idle.
        application.runInBackground { [heads = library.heads] in await heads.run() }
        // On PostgreSQL: the serving lock lost (the server restarted, the network failed) means an
        // offline import may start on the database; this one stops serving, gracefully.
        if let postgres = library.stores.postgres {
            application.watch(postgres.lock, logger: logger)
        }
        application.listeners = listeners
        application.endpoints = DaemonMetrics.services(metrics)
        application.clients = DaemonWeb.services(web)
        do {
            try await application.run()
        } catch {
            await gate.close()
            await library.close(logger: logger)
            throw error
        }
        // Denial records still queued are written before the unit store closes.
        await gate.close()
        await library.close(logger: logger)
    }
}
