/// Human wording for the vault's whole-minute times. Written out by hand because the pages need
/// only UTC and whole minutes, which is not worth Foundation's calendar machinery.
enum CoarseTime {
    /// `2026-11-25 16:40 UTC`
    static func utc(minute: Int64) -> String {
        let days = minute >= 0 ? minute / 1440 : (minute - 1439) / 1440
        let minuteOfDay = minute - days * 1440
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return "\(year)-\(twoDigits(month))-\(twoDigits(day)) \(twoDigits(minuteOfDay / 60)):\(twoDigits(minuteOfDay % 60)) UTC"
    }

    /// `in about 7 days`, `in about 3 hours`, `in less than a minute`
    static func relative(fromMinute now: Int64, toMinute then: Int64) -> String {
        let minutes = then - now
        switch minutes {
        case ..<1: return "in less than a minute"
        case 1: return "in about a minute"
        case 2..<120: return "in about \(minutes) minutes"
        case 120..<(48 * 60): return "in about \((minutes + 30) / 60) hours"
        default: return "in about \((minutes + 720) / 1440) days"
        }
    }

    /// Howard Hinnant's days-to-civil algorithm.
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
