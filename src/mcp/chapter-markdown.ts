/** A chapter as one Markdown document: its stored text starts below the title. */
export function chapterMarkdown(chapter: { title: string; content_markdown: string }): string {
  return `# ${chapter.title}\n\n${chapter.content_markdown}`;
}
