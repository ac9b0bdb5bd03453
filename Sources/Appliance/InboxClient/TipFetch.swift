#if canImport(Glibc)
import Glibc
#endif

/// One run of `inbox fetch`, in the order that loses nothing: each listed tip is made whole on
/// disk (downloaded, or found complete from an earlier run), decrypted if asked, and only then
/// acknowledged. Stopped at any point, the next run redoes at most the step that was cut: a
/// partial download is restarted, a complete `<id>.age` is kept and acknowledged, and nothing
/// is written twice under one name.
struct TipFetch {
    let api: InboxAPIClient
    /// With `--identity`: decrypts each tip into `DIR/<id>/`.
    let extraction: TipExtraction?

    struct Outcome {
        var fetched = 0
        /// Tips that are safe but need the journalist: a name already taken, a tip that did not
        /// decrypt. The run goes on with the others.
        var problems: [String] = []
    }

    /// Prints one line per tip as it goes. Network and disk failures end the run (thrown);
    /// what was acknowledged by then is on disk.
    func run(into folder: borrowing OutputFolder) async throws -> Outcome {
        var outcome = Outcome()
        for tip in try await api.tips() {
            let file = TipFile(folder: folder.path, id: tip.id)
            var line = "\(file.path) (received \(tip.received), \(tip.bytes) bytes"
            switch try file.state(expecting: tip.bytes) {
            case .conflicting(let reason):
                outcome.problems.append(reason)
                continue
            case .complete:
                line += ", fetched earlier"
            case .absent:
                guard try await api.download(tip, into: file) == .stored else {
                    print("\(tip.id): acknowledged by another journalist meanwhile")
                    continue
                }
            }
            line += ")"
            if let extraction {
                line += decrypt(file, with: extraction, problems: &outcome.problems)
            }
            try await api.acknowledge(tip.id)
            outcome.fetched += 1
            print(line)
        }
        return outcome
    }

    /// Decrypts unless `DIR/<id>/` is already there; a failure is noted, never a reason to keep
    /// the tip on the server: its `.age` file is whole and can be decrypted later.
    private func decrypt(_ file: TipFile, with extraction: TipExtraction, problems: inout [String]) -> String {
        let target = file.folder + "/" + file.id.text
        guard access(target, F_OK) != 0 else { return ", decrypted earlier into \(target)" }
        do {
            return ", decrypted into \(try extraction.extract(file.path, into: file.folder))"
        } catch {
            problems.append("\(error) (the tip is kept encrypted in \(file.path))")
            return ", not decrypted"
        }
    }
}
