import Foundation

/// The engines this process can run. Tasks for an engine that is not registered here are never
/// handed out: they wait, visibly `scheduled` or `available`, and never die for lack of a worker.
public struct EngineRegistry: Sendable {
    public private(set) var engines: [String: any Engine] = [:]

    public init(_ engines: [any Engine] = []) {
        for engine in engines { register(engine) }
    }

    public mutating func register(_ engine: any Engine) {
        engines[engine.name] = engine
    }

    public func engine(named name: String) -> (any Engine)? { engines[name] }

    public var names: [String] { engines.keys.sorted() }

    /// `standard()` with its defaults (see StandardEngines.swift).
    public static var standard: EngineRegistry { standard() }
}

/// Does nothing and succeeds: measures the queue itself. A payload `{"sleep_ms": n}` makes it
/// hold its task that long first, so crash tests can kill a worker while it holds leases.
public struct NoopEngine: Engine {
    public let name = "noop"
    public init() {}

    public func perform(_ task: EngineTask, tools: EngineTools) async throws -> EngineOutcome {
        if task.payload.contains("sleep_ms"),
            let object = try? JSONSerialization.jsonObject(with: Data(task.payload.utf8)) as? [String: Any],
            let milliseconds = object["sleep_ms"] as? Int, milliseconds > 0
        {
            try await Task.sleep(for: .milliseconds(min(milliseconds, 60_000)))
        }
        return .done(result: "{}")
    }
}
