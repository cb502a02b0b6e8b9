import type { ReactNode } from "react";
import type { CodeSpec } from "../../blueprint/schemas.ts";
import { anchorId, isHighlightedHtml } from "../../render/format.ts";
import { Block, StageFrame } from "./parts.tsx";
import type { HighlightedFile } from "../../render/types.ts";

interface TreeNode {
  name: string;
  /** Set on files: the full path. */
  path?: string;
  children: TreeNode[];
}

/** Nests slash-separated paths into folders (folders first, then files, by name). */
export function fileTree(paths: readonly string[]): TreeNode[] {
  const root: TreeNode = { name: "", children: [] };
  for (const path of paths) {
    const parts = path.split("/").filter(Boolean);
    let node = root;
    parts.forEach((part, index) => {
      const isFile = index === parts.length - 1;
      let child = node.children.find((c) => c.name === part && (c.path === undefined) !== isFile);
      if (!child) {
        child = { name: part, path: isFile ? path : undefined, children: [] };
        node.children.push(child);
      }
      node = child;
    });
  }
  const sort = (nodes: TreeNode[]): TreeNode[] =>
    nodes.sort((a, b) =>
      Number(a.path !== undefined) - Number(b.path !== undefined) || a.name.localeCompare(b.name)
    ).map((node) => ({ ...node, children: sort(node.children) }));
  return sort(root.children);
}

/** The DOM id of a previewed code file (a link to a file that opens on another page ends in it). */
export function codeFileAnchor(path: string): string {
  return anchorId("code-file", path);
}

function lineCount(text: string): string {
  const lines = text.replace(/\n$/, "").split("\n").length;
  return lines === 1 ? "1 line" : `${lines} lines`;
}

function Tree(
  { nodes, anchors, fileHref }: {
    nodes: TreeNode[];
    anchors: Map<string, string>;
    fileHref?: (path: string) => string;
    /** A file shown open besides the entry point (the one a visitor selected). */
    openPath?: string | null;
  },
) {
  return (
    <ul>
      {nodes.map((node, index) => (
        <li key={index} className={node.path === undefined ? "bp-dir" : "bp-file"}>
          {node.path === undefined
            ? (
              <>
                <span>{node.name}/</span>
                <Tree nodes={node.children} anchors={anchors} fileHref={fileHref} />
              </>
            )
            : anchors.has(node.path)
            ? <a href={`#${anchors.get(node.path)}`}>{node.name}</a>
            : fileHref
            ? <a href={`${fileHref(node.path)}#${codeFileAnchor(node.path)}`}>{node.name}</a>
            : <span>{node.name}</span>}
        </li>
      ))}
    </ul>
  );
}

/** The code stage: how to run it, the file tree, and each file highlighted on the server. */
export function CodeView(
  { code, highlighted = [], meta, fileHref, openPath }: {
    code: CodeSpec;
    /** From `prepareStageExtras("code", …)`; files missing here are listed but not shown. */
    highlighted?: readonly HighlightedFile[];
    meta?: ReactNode;
    /** Where a listed file that is not previewed opens; without it such files are plain text. */
    fileHref?: (path: string) => string;
    /** A file shown open besides the entry point (the one a visitor selected). */
    openPath?: string | null;
  },
) {
  // The first file of a path wins, as in the zip export.
  const content = new Map([...code.files].reverse().map((file) => [file.path, file.content]));
  const anchors = new Map<string, string>();
  for (const [index, file] of highlighted.entries()) {
    const id = codeFileAnchor(file.path);
    const taken = [...anchors.values()].includes(id);
    if (!anchors.has(file.path)) anchors.set(file.path, taken ? `${id}-${index}` : id);
  }
  const hidden = code.files.length - highlighted.length;
  return (
    <StageFrame stage="code" title={`${code.files.length} files`} meta={meta}>
      <Block title="Run it">
        <ol>
          {code.instructions.map((step, index) => <li key={index}>{step}</li>)}
        </ol>
        <p>
          <span className="muted">Entry point:</span> <code>{code.entrypoint}</code>
        </p>
      </Block>
      <div className="bp-browser">
        <nav className="bp-tree" aria-label="Files">
          <Tree
            nodes={fileTree(code.files.map((file) => file.path))}
            anchors={anchors}
            fileHref={fileHref}
          />
          {hidden > 0
            ? (
              <p className="hint">
                {fileHref
                  ? "Select a file to open it; the zip export has every file."
                  : `${
                    hidden === 1 ? "1 file is" : `${hidden} files are`
                  } too large to preview here; the zip export has them.`}
              </p>
            )
            : null}
        </nav>
        <ul className="bp-plain bp-files">
          {highlighted.map((file, index) => {
            const text = content.get(file.path) ?? "";
            return (
              <li key={index} id={anchors.get(file.path)}>
                <details open={file.path === code.entrypoint || file.path === openPath}>
                  <summary>
                    <code>{file.path}</code> <span className="badge">{file.language}</span>{" "}
                    <span className="muted">{lineCount(text)}</span>
                  </summary>
                  <pre className="bp-source" tabIndex={0}>
                    {isHighlightedHtml(file.html)
                      ? <code dangerouslySetInnerHTML={{ __html: file.html }} />
                      : <code>{text}</code>}
                  </pre>
                </details>
              </li>
            );
          })}
        </ul>
      </div>
    </StageFrame>
  );
}
