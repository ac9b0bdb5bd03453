/// The two ways in to the same secrets. They differ only where the protocols do: the pages'
/// forms send their fields in the body, Onetime Secret's API clients may use the query string.
enum FrontDoor: Sendable {
    case pages
    case api
}

/// What a create stores: the sender's secret, or a password the server makes up (whose copy the
/// receipt then shows the sender).
enum CreateKind: Sendable {
    case share
    case generatePassword
}
