import { render } from "preact";
import { App } from "./app.js";
import "./app.css";

const first = fetch("/api/state");
render(<App first={first} />, document.getElementById("app") ?? document.body);
