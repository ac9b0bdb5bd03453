import ArgumentParser

/// A start-up refusal whose text is the one line the operator reads after `ashlink: `.
struct Refusal: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }

    /// The one-line reason for an error that ends a command, or nil where argument-parser's own
    /// output is the answer: help, version, and an exit status a command chose itself (as
    /// `doctor` does after printing its report).
    static func reason(for error: any Error, command: any ParsableCommand.Type) -> String? {
        if error is ExitCode { return nil }
        if let error = error as? ConfigurationError { return "configuration: \(error)" }
        switch command.exitCode(for: error) {
        case .success:
            return nil
        case .validationFailure:
            // The command line did not parse, or a command's `validate()` refused it. The command
            // line is the last layer of the configuration (ConfigurationLoader), so it is
            // reported as part of it.
            return "configuration: \(command.message(for: error))"
        default:
            return "\(error)"
        }
    }
}
