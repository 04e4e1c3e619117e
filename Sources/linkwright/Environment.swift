import Foundation

/// A flag's value, else its environment variable, else nil. Flags win so one invocation can
/// override a deployment's environment.
func setting(_ flag: String?, _ variable: String) -> String? {
    if let flag, !flag.isEmpty { return flag }
    if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return value }
    return nil
}
