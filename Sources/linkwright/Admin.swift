import ArgumentParser
import Foundation
import LinkwrightCore
import LinkwrightServer
import LinkwrightStore

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Operator tasks.", subcommands: [CreateOperator.self])
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

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("linkwright \(LinkwrightVersion.current)")
    }
}
