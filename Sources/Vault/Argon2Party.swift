/// Who asks for an Argon2id run, as far as the caller can tell, for the ``Argon2Gate``'s
/// per-party share (``VaultConfiguration/argon2MaxRunsPerParty``). The vault knows nothing of
/// where a request came from; the caller names the party around its work (the appliance: the
/// tor circuit of the request), and every run in that task, and in tasks it starts, counts for
/// it. Outside any party (nil) only the gate's global bounds apply.
public enum Argon2Party {
    @TaskLocal public static var current: UInt32?
}
