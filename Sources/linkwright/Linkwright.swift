import ArgumentParser

/// The one binary: every role and every operator task.
@main
struct Linkwright: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linkwright",
        abstract: "Link-building campaigns for SEO agencies: API, workers and operator tools in one binary.",
        subcommands: [
            Serve.self, Migrate.self, Rollup.self, Admin.self, SettingsCommand.self, Version.self, JobCommand.self, SystemCommand.self,
        ])
}
