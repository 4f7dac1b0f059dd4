exports.up = (pgm) => {
  pgm.createTable("users", {
    id: "id",
    email: { type: "text", notNull: true, unique: true },
    name: { type: "text", notNull: true },
    token: { type: "text", notNull: true, unique: true },
  });
  pgm.createTable("clients", {
    id: "id",
    consumer: { type: "text", notNull: true, unique: true },
    client_id: { type: "text", notNull: true, unique: true },
    client_secret: { type: "text", notNull: true },
  });
};

exports.down = (pgm) => {
  pgm.dropTable("clients");
  pgm.dropTable("users");
};
