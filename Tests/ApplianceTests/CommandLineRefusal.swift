import ArgumentParser
@testable import Appliance

/// The one line an operator sees when `ashlink` refuses `arguments` at parsing or validation;
/// nil when they parse.
func commandLineRefusal(_ arguments: [String]) -> String? {
    do {
        _ = try Ashlink.parseAsRoot(arguments)
        return nil
    } catch {
        return Refusal.reason(for: error, command: Ashlink.self)
    }
}
