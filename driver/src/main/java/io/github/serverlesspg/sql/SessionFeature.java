package io.github.serverlesspg.sql;

/**
 * A kind of SQL that creates session-level state, which a transaction-mode pooler either leaks to the next
 * client of the same server connection or loses when the next transaction lands on another one.
 * {@link #NONE} is the common case. Found by {@link SessionStateCheck#find(String)}.
 */
public enum SessionFeature {
  /** Nothing session-level: safe behind a transaction-mode pooler. */
  NONE("the statement keeps no session state", "nothing to change"),
  /** {@code SET name = value}, {@code SET SESSION …}, {@code SET ROLE …}. */
  SET(
      "a session-level SET stays on the pooled server connection and leaks to whichever client uses it next",
      "run the SET as a statement of its own (transaction mode then applies it to each transaction of the"
          + " connection handle), or use SET LOCAL inside a transaction"),
  /** {@code SET SESSION AUTHORIZATION ...}. */
  SESSION_AUTHORIZATION(
      "SET SESSION AUTHORIZATION changes the user of the pooled server connection for whichever client uses it next",
      "connect as that user (a URL or DataSource of its own), or use SET ROLE, which transaction mode applies to"
          + " each transaction of the connection handle"),
  /** {@code SET SESSION CHARACTERISTICS AS TRANSACTION …}. */
  SET_SESSION_CHARACTERISTICS(
      "SET SESSION CHARACTERISTICS changes the defaults of every later transaction on the pooled server"
          + " connection, including other clients' transactions",
      "use BEGIN ISOLATION LEVEL … or SET TRANSACTION … at the start of each transaction instead"),
  /** {@code RESET name}, {@code RESET ALL}. */
  RESET(
      "RESET changes session settings of a pooled server connection that other clients share",
      "run the RESET as a statement of its own (transaction mode then applies it to the connection handle's"
          + " settings), or use SET LOCAL inside a transaction, whose settings end with the transaction"),
  /** {@code LISTEN channel}, {@code UNLISTEN …}. */
  LISTEN(
      "LISTEN registers on one server connection, and a transaction-mode pooler delivers the notifications"
          + " to whichever client holds that connection, or to nobody",
      "open the listening connection in session or direct mode (URL property mode=session or mode=direct)"),
  /** {@code PREPARE name AS …}, {@code EXECUTE name}, {@code DEALLOCATE …}. */
  PREPARED_STATEMENT(
      "an SQL-level prepared statement lives on one server connection, so EXECUTE may run where it was never"
          + " prepared or collide with another client's name",
      "use a JDBC PreparedStatement with ? parameters instead of PREPARE, EXECUTE and DEALLOCATE"),
  /** {@code pg_advisory_lock(…)} and the other session-level advisory lock functions. */
  ADVISORY_LOCK(
      "a session-level advisory lock stays held by the pooled server connection after your transaction ends,"
          + " and the unlock may run on another connection",
      "use pg_advisory_xact_lock (or pg_try_advisory_xact_lock) inside a transaction, released at its end"),
  /** {@code DECLARE name CURSOR WITH HOLD FOR …}. */
  HOLD_CURSOR(
      "a WITH HOLD cursor outlives its transaction on one server connection, so the next FETCH may reach"
          + " another connection",
      "declare the cursor WITHOUT HOLD and fetch from it inside one transaction"),
  /** {@code CREATE TEMP TABLE} without {@code ON COMMIT DROP}, temporary views and sequences, {@code SELECT … INTO TEMP}. */
  TEMP_TABLE(
      "a temporary object outlives the transaction on one server connection, so later statements may not see"
          + " it and another client may",
      "add ON COMMIT DROP and use the table inside one transaction, or use session mode"),
  /** {@code LOAD 'library'}. */
  LOAD(
      "LOAD loads a library into one pooled server process only",
      "load the library for every session with session_preload_libraries on the server instead"),
  /** {@code set_config(name, value, false)}. */
  SET_CONFIG(
      "set_config with is_local false changes the setting for the whole session of the pooled server"
          + " connection",
      "pass true as the third argument of set_config so the setting ends with the transaction, or call"
          + " set_config with a literal name and a literal false in a statement of its own (transaction mode then"
          + " applies it to each transaction of the connection handle)");

  private final String reason;
  private final String fix;

  SessionFeature(String reason, String fix) {
    this.reason = reason;
    this.fix = fix;
  }

  /** Why the statement breaks behind a transaction-mode pooler, as one sentence without a final period. */
  public String reason() {
    return reason;
  }

  /** What the user should change, as one sentence without a final period. */
  public String fix() {
    return fix;
  }
}
