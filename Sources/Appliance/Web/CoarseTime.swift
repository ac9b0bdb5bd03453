import Translation
import Vault

/// Human wording for the vault's whole-minute times. Written out by hand (the calendar is
/// `UTCDay`'s) because the pages need only UTC and whole minutes, which is not worth Foundation's
/// calendar machinery.
enum CoarseTime {
    /// `2026-11-25 16:40 UTC`
    static func utc(minute: Int64) -> String {
        let days = minute >= 0 ? minute / 1440 : (minute - 1439) / 1440
        let minuteOfDay = minute - days * 1440
        return "\(UTCDay.text(days)) \(twoDigits(minuteOfDay / 60)):\(twoDigits(minuteOfDay % 60)) UTC"
    }

    /// `in about 7 days`, `in about 3 hours`, `in less than a minute`
    static func relative(fromMinute now: Int64, toMinute then: Int64) -> Message {
        let minutes = Int(then - now)
        switch minutes {
        case ..<1: return Message("in less than a minute")
        case 1: return Message("in about a minute")
        case 2..<120: return Message(one: "in about {count} minute", other: "in about {count} minutes", count: minutes)
        case 120..<(48 * 60): return Message(one: "in about {count} hour", other: "in about {count} hours", count: (minutes + 30) / 60)
        default: return Message(one: "in about {count} day", other: "in about {count} days", count: (minutes + 720) / 1440)
        }
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
