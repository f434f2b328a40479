-- gateway-service schema: accounts, access keys and the nonces of recent requests.

CREATE TABLE account (
    account_id   varchar(20)  PRIMARY KEY,
    display_name varchar(128),
    created_at   timestamptz  NOT NULL
);

CREATE TABLE access_key (
    access_key_id     varchar(64)  PRIMARY KEY,
    account_id        varchar(20)  NOT NULL REFERENCES account (account_id),
    secret_ciphertext text         NOT NULL,
    enabled           boolean      NOT NULL,
    description       varchar(256),
    created_at        timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL
);
CREATE INDEX access_key_by_account ON access_key (account_id);

-- A nonce may be used once per access key while its row lives (at least twice the timestamp window).
CREATE TABLE signature_nonce (
    access_key_id varchar(64)  NOT NULL,
    nonce         varchar(128) NOT NULL,
    expires_at    timestamptz  NOT NULL,
    PRIMARY KEY (access_key_id, nonce)
);
CREATE INDEX signature_nonce_expiry ON signature_nonce (expires_at);
