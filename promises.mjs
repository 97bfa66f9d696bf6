import promises from './promises.js';

export const { pipeline, finished } = promises;
export default promises;
