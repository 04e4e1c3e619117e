import ArgumentParser
import Foundation
import LinkwrightCore
import LinkwrightServer
import LinkwrightStore

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Operator tasks.", subcommands: [CreateOperator.self, RotateSecretKey.self])
}

struct CreateOperator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-operator",
        abstract: "Create a platform operator (staff outside every tenant) who can use /api/v1/admin.")

    @OptionGroup var common: CommonOptions

    @Option(help: "The operator's email address.")
    var email: String

    @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required: passwords never go on the command line).")
    var passwordStdin = false

    func run() async throws {
        guard passwordStdin else { throw ValidationError("pass --password-stdin and the password on standard input") }
        guard let address = EmailAddress(email) else { throw ValidationError("--email is not a valid email address") }
        let password = (readLine(strippingNewline: true) ?? "")
        if let problem = PasswordPolicy.problem(with: password) { throw ValidationError("password \(problem)") }

        let logger = try common.bootstrapLogging()
        let migrations = try common.loadMigrations()
        let target = try await DatabaseTarget.open(common, joinRunningServer: true, logger: logger)
        do {
            try await Migrator(endpoint: target.endpoint, migrations: migrations, logger: logger).migrate()
            let database = Database(endpoint: target.endpoint, maximumConnections: 2, logger: logger)
            let hash = try PasswordHasher().hash(password)
            let created: OperatorRecord = try await withThrowingTaskGroup(of: OperatorRecord?.self) { group in
                group.addTask {
                    try await database.run()
                    return nil
                }
                defer { group.cancelAll() }
                do {
                    return try await AccountRepository(database: database).createOperator(email: address, passwordHash: hash)
                } catch StoreError.emailTaken {
                    throw ValidationError("\(address) is already registered")
                }
            }
            print("created operator \(created.email) (\(created.id.uuidString.lowercased()))")
        } catch {
            await target.shutdown()
            throw error
        }
        await target.shutdown()
    }
}

struct RotateSecretKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-secret-key",
        abstract: "Re-seal every connection secret under a new key while servers keep running.",
        discussion: """
            With the key file of the embedded default (no LINKWRIGHT_SECRET_KEY): adds a new key to \
            <data dir>/secret-keys, re-seals every secret under it, then retires the old keys. Running \
            servers read the file again when it changes. With LINKWRIGHT_SECRET_KEY: put the new key \
            first (keep the old ones after it) on every process, run this to re-seal everything under \
            the first key, then remove the old ones.
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: Settings.secretKey.name, help: Settings.secretKey.help)
    var secretKey: String?

    func run() async throws {
        let logger = try common.bootstrapLogging()
        let migrations = try common.loadMigrations()
        let configured = Settings.secretKey.value(secretKey)
        let secrets = try SecretKeys.resolve(configured: configured, dataDirectory: common.resolvedDataDir)
        let target = try await DatabaseTarget.open(common, joinRunningServer: true, logger: logger)
        do {
            try await Migrator(endpoint: target.endpoint, migrations: migrations, logger: logger).migrate()
            let database = Database(endpoint: target.endpoint, maximumConnections: 2, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await database.run() }
                defer { group.cancelAll() }
                try await rotate(secrets, database: database)
            }
        } catch {
            await target.shutdown()
            throw error
        }
        await target.shutdown()
    }

    func rotate(_ secrets: SecretKeys, database: Database) async throws {
        let rotation = SecretRotation(database: database, secrets: secrets)
        let report: @Sendable (Int, Int) -> Void = { done, total in print("re-sealed \(done) of \(total)") }
        guard let file = secrets.keyFile else {
            let count = try await rotation.resealAll(progress: report)
            print("\(count) secrets re-sealed; every secret is under key \(secrets.forSealing().current.id), the first of LINKWRIGHT_SECRET_KEY.")
            print("Remove the other keys from LINKWRIGHT_SECRET_KEY on every process.")
            return
        }
        // 1. The new key goes first in the file; servers seal with it from their next look.
        let old = try SecretKeyFile.keys(file)
        let new = SecretKeyring.Key.generate()
        try SecretKeyFile.write([new] + old, to: file)
        print("new key \(new.id) added to \(file.path)")
        // 2. Everything under an old key is re-sealed; then once more after a pause, for a secret a
        //    server sealed under the old key just before it saw the new file.
        var count = try await rotation.resealAll(progress: report)
        try await Task.sleep(for: .seconds(2))
        count += try await rotation.resealAll(progress: report)
        // 3. The old keys are retired.
        try SecretKeyFile.write([new], to: file)
        print("\(count) secrets re-sealed under key \(new.id); old keys \(old.map(\.id).joined(separator: ", ")) retired.")
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("linkwright \(LinkwrightVersion.current)")
    }
}
