// Guardian pages outside the consent pages, in their own small chunk: the first page a guardian
// opens from an e-mailed link stays as light as it can be.
export { ChildPhotosPage } from '../features/publishing/ChildPhotosPage';
