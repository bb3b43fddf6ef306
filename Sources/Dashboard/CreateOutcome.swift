import CoClickAPI

extension APIError {
    /// The create was sent and its answer lost: the meeting may exist. The
    /// client says so with a typed error (`.unconfirmed`), thrown only when
    /// the whole request was written to the connection; a request that timed
    /// out before it went out (e.g. while authenticating), a refused
    /// connection or a TLS failure was not carried out.
    var createMayHaveSucceeded: Bool { mayHaveBeenCarriedOut }
}
