import PostgresNIO

/// Reading PostgreSQL's own error fields out of `PSQLError`, whose `description` hides them.
public enum PostgresErrorDescription {
    public static func describe(_ error: any Error) -> String {
        guard let psql = error as? PSQLError else { return String(describing: error) }
        if let message = psql.serverInfo?[.message] {
            let detail = psql.serverInfo?[.detail].map { " (\($0))" } ?? ""
            return message + detail
        }
        return String(reflecting: psql)
    }

    public static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    public static func isUniqueViolation(_ error: any Error, constraint: String? = nil) -> Bool {
        guard let psql = error as? PSQLError, psql.serverInfo?[.sqlState] == "23505" else { return false }
        guard let constraint else { return true }
        return psql.serverInfo?[.constraintName] == constraint
    }
}
