export type { FollowHost, FollowParams, WatchedFolder } from "./follower.js";
export { Followers, type Watching } from "./followers.js";
