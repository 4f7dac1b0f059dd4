export { type FolderFile, fileOf, folderFiles } from "./folder.js";
export { type KubeObject, MANAGED_BY, type Rendered } from "./objects.js";
export { imageOf, type KubernetesRender, renderKubernetes } from "./render.js";
export { validateObjects } from "./validate.js";
