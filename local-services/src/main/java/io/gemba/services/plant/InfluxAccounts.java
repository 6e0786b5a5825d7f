package io.gemba.services.plant;

import io.gemba.connect.Identities;
import java.util.List;

/**
 * Who may do what in InfluxDB (1.x privileges are per database): an admin that creates databases,
 * users and retention policies and is used for nothing else; the KPI job, which writes the KPI
 * database and reads nothing; the API, which reads the KPI database and writes only its own
 * database of what people do (acknowledgements).
 */
public record InfluxAccounts(String admin, List<User> users) {

  /** The admin's user name. */
  public static final String ADMIN = "gemba-admin";

  /** A user and its privileges, e.g. {@code WRITE} on {@code gemba}. */
  public record User(String name, List<Grant> grants) {}

  /** One InfluxQL privilege: READ, WRITE or ALL, on one database. */
  public record Grant(String privilege, String database) {}

  /** The standard accounts for the KPI database and the actions database. */
  public static InfluxAccounts standard(String database, String actionsDatabase) {
    return new InfluxAccounts(
        ADMIN,
        List.of(
            new User(Identities.KPI_JOB, List.of(new Grant("WRITE", database))),
            new User(
                Identities.API,
                List.of(new Grant("READ", database), new Grant("ALL", actionsDatabase)))));
  }
}
