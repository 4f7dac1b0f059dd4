exports.up = (pgm) => {
  pgm.createTable("courses", {
    id: "id",
    title: { type: "text", notNull: true, unique: true },
    level: { type: "text", notNull: true },
  });
  pgm.createTable("enrollments", {
    id: "id",
    course_id: { type: "integer", notNull: true, references: "courses" },
    email: { type: "text", notNull: true },
    confirmed: { type: "boolean", notNull: true, default: false },
  });
};

exports.down = (pgm) => {
  pgm.dropTable("enrollments");
  pgm.dropTable("courses");
};
