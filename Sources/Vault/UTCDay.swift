/// Whole UTC days since the Unix epoch: the only time the inbox keeps about a tip.
///
/// The calendar conversion is done here rather than through Foundation, which the vault does not
/// link: the proleptic Gregorian "civil from days" algorithm (Howard Hinnant, "chrono-compatible
/// low-level date algorithms"), exact for every day an `Int64` of seconds can name.
public enum UTCDay {
    static let secondsPerDay: Int64 = 86_400

    /// The day that `seconds` since the epoch fall on (days before the epoch are negative).
    static func day(ofSecond seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / secondsPerDay : (seconds + 1) / secondsPerDay - 1
    }

    /// The day as "YYYY-MM-DD" (ISO 8601, years 0 to 9999 in four digits).
    public static func text(_ day: Int64) -> String {
        let (year, month, dayOfMonth) = civil(day)
        return padded(year, to: 4) + "-" + padded(month, to: 2) + "-" + padded(dayOfMonth, to: 2)
    }

    /// Year, month (1–12) and day of the month (1–31) of a day number.
    static func civil(_ day: Int64) -> (year: Int64, month: Int64, day: Int64) {
        // Counted from 0000-03-01, so that the leap day is the last day of each year, in 400-year eras.
        let shifted = day + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchBasedMonth = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * marchBasedMonth + 2) / 5 + 1
        let month = marchBasedMonth < 10 ? marchBasedMonth + 3 : marchBasedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, dayOfMonth)
    }

    private static func padded(_ value: Int64, to width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
