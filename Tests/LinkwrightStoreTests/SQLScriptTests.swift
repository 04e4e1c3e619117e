@testable import LinkwrightStore
import Testing

@Suite struct SQLScriptTests {
    @Test func semicolonsInsideQuotesDollarBodiesAndCommentsDoNotSplit() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (x text DEFAULT 'a;b');
            /* block; comment */ CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
            DO $body$ BEGIN PERFORM 'x;y'; END $body$;
            SELECT "we;ird" FROM a WHERE x = $1
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 4)
        #expect(statements[0] == "CREATE TABLE a (x text DEFAULT 'a;b')")
        #expect(statements[1].hasSuffix("AS $$ SELECT 1; $$"))
        #expect(statements[2] == "DO $body$ BEGIN PERFORM 'x;y'; END $body$")
        #expect(statements[3] == "SELECT \"we;ird\" FROM a WHERE x = $1")
    }

    @Test func emptyStatementsAreDropped() {
        #expect(SQLScript.statements(in: " ;; -- only a comment\n ;").isEmpty)
    }

    @Test func everyMigrationFileSplitsIntoStatementsThatEndWithoutStraySemicolons() throws {
        // The real migrations are what matters: each statement must be complete on its own.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("migrations")
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".sql") {
            let sql = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            let statements = SQLScript.statements(in: sql)
            #expect(!statements.isEmpty, "\(file) has no statements")
            for statement in statements { #expect(!statement.hasSuffix(";")) }
        }
    }
}

import Foundation
