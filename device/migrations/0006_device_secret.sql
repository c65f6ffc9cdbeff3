-- What enrolment gives the device (its keys, token and the pinned server
-- key), inside the encrypted store instead of a plain file beside it.
CREATE TABLE device_secret (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    credentials BLOB NOT NULL
) STRICT;
