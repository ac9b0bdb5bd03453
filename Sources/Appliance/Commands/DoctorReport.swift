import Hardening

/// The lines `doctor` prints: `ok`, `FAIL` (required and missing) or `warn` (missing, not
/// required). Its own checks are the same kind of line as the kernel checks Hardening makes.
struct DoctorReport {
    private(set) var checks: [SystemInspection.Check] = []

    mutating func add(_ check: String, ok: Bool, _ detail: String, required: Bool) {
        checks.append(SystemInspection.Check(check: check, ok: ok, detail: detail, required: required))
    }

    mutating func add(contentsOf more: [SystemInspection.Check]) {
        checks += more
    }

    var productionReady: Bool { checks.allSatisfy { $0.ok || !$0.required } }

    var rendered: String {
        let width = (checks.map(\.check.count).max() ?? 0) + 2
        var output = checks.map { line in
            let mark = line.ok ? "ok  " : line.required ? "FAIL" : "warn"
            return "\(mark) \(line.check.padding(to: width))\(line.detail)"
        }
        output.append(productionReady ? "ready for production" : "NOT ready for production: fix the FAIL lines above")
        return output.joined(separator: "\n")
    }
}

extension String {
    /// The text, then spaces up to `width` (at least one), so the details line up in a column.
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
