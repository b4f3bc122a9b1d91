/**
 * One story, once: telling that a new article tells a story already stored (the same text
 * reflowed, reworded or cut short, or the same wire copy from another outlet).
 */
export { estimatedContainment, estimatedJaccard, minhashOf, shingleHashes, storySignature, type StorySignature } from './signature.js';
export { createStoryIndex, sameStory, STORY_MATCH, type StoryEntry, type StoryIndex, type StoryMatch } from './storyIndex.js';
export { outletOf, storyOutlets } from './outlet.js';
export { openStoryIndex, type RecentStories, type StoryCheck } from './recentStories.js';
export { withStorySources } from './storySources.js';
